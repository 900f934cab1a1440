cors_runtime::policy! {
    #[derive(Debug)]
    pub APP = { origins = ["https://app.example.com"] };
    pub ADMIN [ origins = ["https://admin.example.com"] ];
}

fn main() {}

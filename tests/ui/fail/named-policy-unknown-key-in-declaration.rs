cors_runtime::policy! {
    pub APP = {
        orgins = ["https://app.example.com"],
        allow_header = ["content-type"],
    };
}

fn main() {}

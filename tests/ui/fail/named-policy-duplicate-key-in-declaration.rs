cors_runtime::policy! {
    pub APP = {
        origins = ["https://app.example.com"],
        max_age = 600,
        max_age = 60,
    };
}

fn main() {}

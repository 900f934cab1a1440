cors_runtime::policy! {
    pub BASE = { origins = ["https://app.example.com"] };
    pub APP = {
        policy = BASE,
        crate = "::cors_runtime",
        origins = ["https://app.example.com"],
    };
}

fn main() {}

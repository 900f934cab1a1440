cors_runtime::policy! {
    pub APP = { origins = ["https://app.example.com"] };
}

fn main() {
    let _ = cors_runtime::layer!(APPP);
}

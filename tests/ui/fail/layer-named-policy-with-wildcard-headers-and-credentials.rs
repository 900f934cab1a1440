cors_runtime::policy! {
    pub APP = { origins = ["https://app.example.com"], credentials = true };
}

fn main() {
    let _ = cors_runtime::layer!(policy = APP, allow_headers = "*");
}

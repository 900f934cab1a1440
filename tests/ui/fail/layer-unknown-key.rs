fn main() {
    let _ = cors_runtime::layer!(orgins = ["https://app.example.com"], methods = [GET]);
}

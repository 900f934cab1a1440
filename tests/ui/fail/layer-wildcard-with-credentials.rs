fn main() {
    let _ = cors_runtime::layer!(origins = "*", credentials = true);
}

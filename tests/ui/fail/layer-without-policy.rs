fn main() {
    let _ = cors_runtime::layer!();
    let _ = cors_runtime::layer!(methods = [GET, HEAD]);
}

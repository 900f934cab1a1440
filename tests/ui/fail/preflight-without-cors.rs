use cors_runtime::preflight;

#[allow(non_camel_case_types)]
struct plain {}

fn main() {
    let _ = preflight!(plain);
}

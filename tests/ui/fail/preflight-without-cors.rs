use cors_runtime::preflight;

// A value that is not an annotated handler: a unit struct, as an axum
// `Service` or a handler type would be.
struct Plain;

fn main() {
    let _ = preflight!(Plain);
}

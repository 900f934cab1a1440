mod api {
    pub mod cors {
        cors_runtime::policy! {
            /// Only for `api`.
            pub(super) INTERNAL = { origins = ["https://internal.example.com"] };
        }
    }
}

// Policies follow the privacy rules of items; rustc's notes name the
// policy, never a generated item.
#[cors_runtime::cors(policy = crate::api::cors::INTERNAL)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {
    let _: axum::routing::MethodRouter = axum::routing::get(handler);
}

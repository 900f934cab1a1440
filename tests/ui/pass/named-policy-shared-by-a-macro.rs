#![deny(warnings)]

// Another crate cannot name a policy declared with `policy!`, but it can
// export a `macro_rules!` that declares the policy in the calling crate.
cors_attr_tests::declare_shared_policy!(SHARED);

#[cors_runtime::cors(policy = SHARED, methods = [GET, POST])]
async fn handler() -> &'static str {
    "hello"
}

fn main() {
    let _: axum::routing::MethodRouter = axum::routing::get(handler)
        .post(handler)
        .options(cors_runtime::preflight!(handler));
}

#![deny(warnings, clippy::all, clippy::pedantic)]

mod web {
    pub use cors_runtime as cors;
}

mod policies {
    cors_runtime::policy! {
        /// The browser app.
        pub APP = {
            origins = ["https://app.example.com"],
            allow_headers = ["content-type"],
            credentials = true,
        };
    }
}

use cors_runtime::PolicyLayer;
use policies::APP;

fn main() {
    // A named policy, by name and by path.
    let app: PolicyLayer = cors_runtime::layer!(APP);
    let by_path: PolicyLayer = cors_runtime::layer!(crate::policies::APP);
    // The name first, then keys replacing its values.
    let named_then_keys: PolicyLayer = cors_runtime::layer!(APP, methods = [GET, POST]);
    // A named policy with keys replacing its values.
    let assets: PolicyLayer =
        cors_runtime::layer!(policy = APP, methods = [GET, HEAD], max_age = 600);
    // The keys written out, and the runtime through a re-export.
    let status: PolicyLayer = cors_runtime::layer!(origins = "*", methods = [GET]);
    let re_exported: PolicyLayer = web::cors::layer!(
        origins = ["https://app.example.com"],
        crate = "crate::web::cors"
    );
    let named_re_exported: PolicyLayer = web::cors::layer!(APP);
    for layer in [
        app,
        by_path,
        named_then_keys,
        assets,
        status,
        re_exported,
        named_re_exported,
    ] {
        assert!(layer.policy().is_layer());
    }
}

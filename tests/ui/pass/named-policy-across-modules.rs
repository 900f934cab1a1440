#![deny(warnings)]

use axum::routing::get;
use axum::Router;
use cors_runtime::{cors, preflight};

mod cors {
    cors_runtime::policy! {
        /// The browser app.
        pub APP = {
            origins = ["https://app.example.com", env("APP_ORIGINS")],
            allow_headers = ["content-type", "authorization"],
            credentials = true,
            max_age = 600,
        };

        /// Never used: no warning.
        pub UNUSED = { origins = "*" };
        pub(crate) PUBLIC = { origins = "*", methods = [GET] }
    }

    // The same name in a nested module is another policy.
    pub mod admin {
        cors_runtime::policy! {
            pub APP = { origins = ["https://admin.example.com"] };
        }
    }
}

// A policy, a function and a constant may share a name: a policy is a macro.
#[allow(dead_code)]
const APP: u8 = 0;

mod api {
    use super::cors;
    use cors_runtime::cors as cors_attr;

    #[cors_attr(policy = crate::cors::APP, methods = [GET, PUT])]
    pub async fn profile() -> &'static str {
        "{}"
    }

    #[cors_attr(policy = super::cors::APP, methods = [POST], max_age = 60)]
    pub async fn upload() -> &'static str {
        "ok"
    }

    #[cors_attr(policy = cors::admin::APP, methods = [DELETE])]
    pub async fn remove() -> &'static str {
        "ok"
    }
}

mod after_use {
    use crate::cors::PUBLIC;
    use cors_runtime::cors;

    #[cors(policy = PUBLIC)]
    pub async fn status() -> &'static str {
        "ok"
    }
}

mod renamed {
    use crate::cors::APP as BROWSER;
    use cors_runtime::cors;

    #[cors(policy = BROWSER)]
    pub async fn me() -> &'static str {
        "me"
    }
}

mod declared_below {
    use cors_runtime::cors;

    // A policy is found by name wherever it is declared in the module.
    #[cors(policy = LOCAL, methods = [POST])]
    pub async fn create() -> &'static str {
        "created"
    }

    cors_runtime::policy! {
        LOCAL = { origins = ["https://local.example.com"] };
    }
}

fn main() {
    let _ = APP;
    let _: Router = Router::new()
        .route(
            "/profile",
            get(api::profile)
                .put(api::profile)
                .post(api::upload)
                .delete(api::remove)
                .options(preflight!(api::profile, api::upload, api::remove)),
        )
        .route(
            "/status",
            get(after_use::status).options(preflight!(after_use::status)),
        )
        .route("/me", get(renamed::me).options(preflight!(renamed::me)))
        .route(
            "/create",
            axum::routing::post(declared_below::create).options(preflight!(declared_below::create)),
        );
}

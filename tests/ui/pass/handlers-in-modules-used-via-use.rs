#![deny(warnings)]

use axum::routing::get;
use axum::Router;
use cors_runtime::preflight;

mod api {
    pub mod v1 {
        use cors_runtime::cors;

        /// Listed items.
        #[cors(origins = ["https://app.example.com"], methods = [GET])]
        pub async fn items() -> &'static str {
            "items"
        }

        #[cors(origins = ["https://app.example.com"], methods = [POST])]
        pub(crate) async fn create() -> &'static str {
            "created"
        }
    }
}

use api::v1::items;

fn main() {
    let _: Router = Router::new()
        .route("/items", get(items).options(preflight!(items)))
        .route(
            "/v1/items",
            get(api::v1::items)
                .post(api::v1::create)
                .options(preflight!(api::v1::items, api::v1::create)),
        );
}

#![deny(warnings)]

// Handlers declared next to their routes, inside a function, as in axum's
// routes-and-handlers-close-together example: their signatures name types
// and imports local to that function, and `without_cors` still sees them.

use axum::routing::post;
use axum::Router;
use cors_runtime::{cors, preflight};

fn comments() -> Router {
    use axum::Json;

    #[derive(serde::Deserialize)]
    struct NewComment {
        text: String,
    }

    #[cors(origins = ["https://app.example.com"], methods = [POST])]
    async fn create(Json(comment): Json<NewComment>) -> String {
        comment.text
    }

    let direct = create::without_cors(Json(NewComment {
        text: "hello".to_owned(),
    }));
    drop(direct);
    Router::new().route("/comments", post(create).options(preflight!(create)))
}

fn main() {
    let _: Router = comments();
}

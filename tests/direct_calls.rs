//! The handler as written stays callable: `name::without_cors(...)` takes
//! the original arguments, generics included, and returns the original
//! output, for unit tests that call handlers as functions.

use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use cors_attr_tests::{actual, body_text, header, json, send};
use cors_runtime::{cors, preflight};

#[derive(Clone, Default)]
struct Todos(Arc<Mutex<Vec<String>>>);

#[derive(serde::Deserialize)]
struct NewTodo {
    text: String,
}

#[cors(origins = ["https://app.example.com"], methods = [POST], allow_headers = ["content-type"])]
async fn create(State(todos): State<Todos>, Json(todo): Json<NewTodo>) -> (StatusCode, String) {
    let mut list = todos.0.lock().unwrap();
    list.push(todo.text);
    (StatusCode::CREATED, list.len().to_string())
}

trait Repo: Clone + Send + Sync + 'static {
    fn all(&self) -> Vec<String>;
}

#[derive(Clone)]
struct MemRepo;

impl Repo for MemRepo {
    fn all(&self) -> Vec<String> {
        vec!["a".into(), "b".into()]
    }
}

#[cors(origins = ["https://app.example.com"], methods = [GET])]
async fn list<R: Repo>(State(repo): State<R>) -> Json<Vec<String>> {
    Json(repo.all())
}

#[cors(origins = ["https://app.example.com"], methods = [GET])]
async fn status() -> &'static str {
    "ok"
}

#[cors(origins = ["https://app.example.com"], methods = [GET])]
async fn item(Path(id): Path<u32>) -> Result<String, StatusCode> {
    if id == 0 {
        Err(StatusCode::NOT_FOUND)
    } else {
        Ok(format!("item {id}"))
    }
}

// `impl IntoResponse`, axum's most common return type: no impl can name
// it, so `without_cors` returns it as a response, as the handler does.
#[cors(origins = ["https://app.example.com"], methods = [DELETE])]
async fn remove(Path(id): Path<u32>) -> impl IntoResponse {
    (StatusCode::ACCEPTED, format!("removed {id}"))
}

#[cors(origins = ["https://app.example.com"], methods = [GET])]
async fn first<R: Repo>(State(repo): State<R>) -> Result<impl IntoResponse, StatusCode> {
    repo.all().into_iter().next().ok_or(StatusCode::NOT_FOUND)
}

#[tokio::test]
async fn a_handler_with_state_and_json_is_called_with_its_own_arguments() {
    let todos = Todos::default();
    let (status, count) = create::without_cors(
        State(todos.clone()),
        Json(NewTodo {
            text: "write tests".into(),
        }),
    )
    .await;
    assert_eq!((status, count.as_str()), (StatusCode::CREATED, "1"));
    assert_eq!(*todos.0.lock().unwrap(), ["write tests"]);
}

// Generic, with no return type: `()`.
#[cors(origins = ["https://app.example.com"], methods = [POST])]
async fn touch<R: Repo>(State(repo): State<R>) {
    assert_eq!(repo.all().len(), 2);
}

#[tokio::test]
async fn a_generic_handler_is_called_with_a_turbofish() {
    let Json(items) = list::without_cors::<MemRepo>(State(MemRepo)).await;
    assert_eq!(items, ["a", "b"]);
    touch::without_cors::<MemRepo>(State(MemRepo)).await;
    let app: Router = Router::new()
        .route(
            "/touch",
            axum::routing::post(touch::<MemRepo>).options(preflight!(touch::<MemRepo>)),
        )
        .with_state(MemRepo);
    let response = send(
        &app,
        actual("POST", "/touch", Some("https://app.example.com")),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn handlers_without_arguments_and_with_errors_keep_their_output() {
    assert_eq!(status::without_cors().await, "ok");
    assert_eq!(
        item::without_cors(Path(0)).await,
        Err(StatusCode::NOT_FOUND)
    );
    assert_eq!(item::without_cors(Path(3)).await.as_deref(), Ok("item 3"));
}

#[tokio::test]
async fn handlers_returning_impl_trait_are_called_directly_and_routed() {
    let response = remove::without_cors(Path(7)).await.into_response();
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    assert_eq!(body_text(response).await, "removed 7");
    let response = first::without_cors::<MemRepo>(State(MemRepo))
        .await
        .into_response();
    assert_eq!(body_text(response).await, "a");

    let app: Router = Router::new()
        .route(
            "/items/{id}",
            get(first::<MemRepo>)
                .delete(remove)
                .options(preflight!(first::<MemRepo>, remove)),
        )
        .with_state(MemRepo);
    let response = send(
        &app,
        actual("DELETE", "/items/3", Some("https://app.example.com")),
    )
    .await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some("https://app.example.com")
    );
    assert_eq!(body_text(response).await, "removed 3");
}

#[tokio::test]
async fn the_routed_handler_still_carries_cors() {
    let todos = Todos::default();
    let app: Router = Router::new()
        .route(
            "/todos",
            get(status).post(create).options(preflight!(status, create)),
        )
        .with_state(todos.clone());
    let response = send(
        &app,
        json(
            "POST",
            "/todos",
            "https://app.example.com",
            r#"{"text":"x"}"#,
        ),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some("https://app.example.com")
    );
    assert_eq!(body_text(response).await, "1");
}

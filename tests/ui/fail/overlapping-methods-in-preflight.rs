use cors_runtime::{cors, preflight};

#[cors(origins = ["https://a.example.com"], methods = [GET, POST])]
async fn one() {}

#[cors(origins = ["https://b.example.com"], methods = [POST])]
async fn two() {}

fn main() {
    let _ = preflight!(one, two);
}

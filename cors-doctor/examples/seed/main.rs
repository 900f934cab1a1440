//! Serves the app behind the seed's error, for `cors-doctor probe` to
//! diagnose:
//!
//! ```text
//! cargo run -p cors-doctor --example seed        # 127.0.0.1:8080, PORT overrides
//! cargo run -p cors-doctor -- probe http://127.0.0.1:8080/api/profile \
//!     --origin http://localhost:3001 --method PUT -H 'Content-Type: application/json'
//! ```

mod app;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let port: u16 = std::env::var("PORT")
        .ok()
        .and_then(|port| port.parse().ok())
        .unwrap_or(8080);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap_or_else(|error| {
            eprintln!("cannot listen on 127.0.0.1:{port}: {error}");
            std::process::exit(1)
        });
    println!("the seed's app on http://127.0.0.1:{port}/api/profile (PUT only; a proxy adds CORS headers)");
    axum::serve(listener, app::app())
        .await
        .expect("server error");
}

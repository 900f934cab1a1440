//! A server for loopback load tests (`scripts/loopback`): one variant of
//! `bench/src/lib.rs` on one thread.
//!
//! `bench-server VARIANT PORT`, e.g. `bench-server ours 8081`.

use cors_bench::{service, Scenario, Variant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [variant, port] = args.as_slice() else {
        eprintln!("usage: bench-server VARIANT PORT");
        std::process::exit(2);
    };
    let variant = Variant::from_name(variant).unwrap_or_else(|| {
        eprintln!("unknown variant `{variant}`");
        std::process::exit(2)
    });
    let port: u16 = port.parse().expect("a port number");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("listen");
        let scenario = Scenario::from_name("get-allowed").expect("a scenario");
        let service = service(variant, &scenario);
        axum::serve(listener, tower::make::Shared::new(service))
            .await
            .expect("serve");
    });
}

//! Soak over loopback: 8 rounds of 10,000 requests over 100 concurrent
//! keep-alive connections against a separate server process (half
//! preflights, half actual requests, half from a refused origin). Zero
//! errors, zero wrong grants, and a resident size that stops growing once
//! warm.

use std::process::{Command, Stdio};
use std::time::Duration;

use cors_bench::load::{resident_kib, round, Target};

#[test]
fn ten_thousand_concurrent_requests_per_round_without_errors_or_growth() {
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let mut server = Command::new(env!("CARGO_BIN_EXE_bench-server"))
        .args(["ours", &port.to_string()])
        .stdout(Stdio::null())
        .spawn()
        .expect("bench-server starts");
    let address = format!("127.0.0.1:{port}").parse().unwrap();
    for _ in 0..100 {
        if std::net::TcpStream::connect(address).is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let target = Target {
        address,
        path: "/items".into(),
        method: "PUT".into(),
        allowed: "https://app.example.com".into(),
        refused: "https://app.example.com.evil.net".into(),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut resident = Vec::new();
    let mut rounds = Vec::new();
    for _ in 0..8 {
        rounds.push(runtime.block_on(round(&target, 100, 10_000)));
        resident.push(resident_kib(server.id()).expect("/proc readable"));
    }
    let _ = server.kill();
    let _ = server.wait();
    println!("rounds: {rounds:?}\nresident KiB after each: {resident:?}");
    for outcome in &rounds {
        assert_eq!(outcome.answers, 10_000, "{rounds:?}");
        assert_eq!(outcome.errors, 0, "{rounds:?}");
        assert_eq!(outcome.wrong_grants, 0, "{rounds:?}");
    }
    // The allocator settles within the first rounds. A leak of even 50 bytes
    // per request would add 2 MiB over the last four rounds.
    let first = resident[..4].iter().max().expect("four rounds");
    let last = resident[4..].iter().max().expect("four rounds");
    assert!(
        *last <= first + 2048,
        "resident KiB per round: {resident:?}"
    );
}

//! Runs one scenario and variant N times, for `valgrind --tool=callgrind
//! --toggle-collect='*timed_loop*'`: only `timed_loop` is counted, so
//! building the requests is not. `scripts/instructions` drives it.
//!
//! `cargo bench -p cors-bench --bench instructions -- SCENARIO VARIANT N`, or `-- --list`.

use cors_bench::{check, send, service, Scenario, Service, Variant, SCENARIOS};

#[inline(never)]
fn timed_loop(service: &Service, requests: Vec<axum::http::Request<axum::body::Body>>) {
    for request in requests {
        drop(std::hint::black_box(send(service, request)));
    }
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| arg != "--bench")
        .collect();
    if args == ["--list"] {
        for scenario in SCENARIOS {
            println!("{}", scenario.name);
        }
        return;
    }
    let [scenario, variant, count] = args.as_slice() else {
        eprintln!("usage: instructions SCENARIO VARIANT N");
        std::process::exit(2);
    };
    let scenario = Scenario::from_name(scenario).expect("a scenario of bench/src/lib.rs");
    let variant = Variant::from_name(variant).expect("a variant of bench/src/lib.rs");
    let count: usize = count.parse().expect("a count");
    let service = service(variant, scenario.policy);
    check(&scenario, variant, &send(&service, scenario.request())).expect("a correct answer");
    let requests = (0..count).map(|_| scenario.request()).collect();
    timed_loop(&service, requests);
}

//! Runs one scenario and variant N times, for `valgrind --tool=callgrind
//! --toggle-collect='*timed_loop*'`: only `timed_loop` is counted, so
//! building the requests is not. `scripts/instructions` drives it.
//!
//! `cargo bench -p cors-bench --bench instructions -- SCENARIO VARIANT N`,
//! or `-- --list` for every scenario and variant, one pair a line.

use cors_bench::{check, service, Scenario, Service, Variant, SCENARIOS};

type Request = axum::http::Request<axum::body::Body>;
type Response = axum::http::Response<axum::body::Body>;

#[inline(never)]
fn timed_loop(service: &Service, send: fn(&Service, Request) -> Response, requests: Vec<Request>) {
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
            for variant in scenario.variants() {
                println!("{}\t{}", scenario.name, variant.name());
            }
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
    let service = service(variant, &scenario);
    let send = scenario.sender();
    check(&scenario, variant, &send(&service, scenario.request())).expect("a correct answer");
    let requests = (0..count).map(|_| scenario.request()).collect();
    timed_loop(&service, send, requests);
}

//! Runs scenarios and variants of `bench/src/lib.rs` for callgrind.
//! `scripts/instructions` drives it.
//!
//! - `-- --list`: every scenario and variant, one pair a line.
//! - `-- --pairs N`: each pair read from stdin (`SCENARIO\tVARIANT` lines)
//!   runs `timed_loop` three times, with N, N and 2N requests built before
//!   each call, which then calls `requests_built`. With
//!   `--dump-after='*requests_built*' --dump-after='*timed_loop*'` callgrind
//!   writes the set-up and each call's count apart; the third call's count
//!   minus the second's, divided by N, is the count per request (the first
//!   call takes what happens once per process).
//! - `-- SCENARIO VARIANT N`: one pair, one call of N requests, for a
//!   profile (`--toggle-collect='*timed_loop*'`, then `callgrind_annotate`).

use std::io::BufRead;

use cors_bench::{check, service, Scenario, Service, Variant, SCENARIOS};

type Request = axum::http::Request<axum::body::Body>;
type Response = axum::http::Response<axum::body::Body>;

#[inline(never)]
fn timed_loop(service: &Service, send: fn(&Service, Request) -> Response, requests: Vec<Request>) {
    for request in requests {
        drop(std::hint::black_box(send(service, request)));
    }
}

/// Marks the end of a set-up for `--dump-after`.
#[inline(never)]
fn requests_built() {
    std::hint::black_box(());
}

fn pair(scenario: &str, variant: &str) -> (Scenario, Variant) {
    let scenario = Scenario::from_name(scenario).expect("a scenario of bench/src/lib.rs");
    let variant = Variant::from_name(variant).expect("a variant of bench/src/lib.rs");
    (scenario, variant)
}

fn run(scenario: &Scenario, variant: Variant, counts: &[usize]) {
    let service = service(variant, scenario);
    let send = scenario.sender();
    check(scenario, variant, &send(&service, scenario.request())).expect("a correct answer");
    for &count in counts {
        let requests = (0..count).map(|_| scenario.request()).collect();
        requests_built();
        timed_loop(&service, send, requests);
    }
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| arg != "--bench")
        .collect();
    match args.as_slice() {
        [list] if list == "--list" => {
            for scenario in SCENARIOS {
                for variant in scenario.variants() {
                    println!("{}\t{}", scenario.name, variant.name());
                }
            }
        }
        [pairs, count] if pairs == "--pairs" => {
            let count: usize = count.parse().expect("a count");
            for line in std::io::stdin().lock().lines() {
                let line = line.expect("a line");
                let (scenario, variant) = line.split_once('\t').expect("SCENARIO\\tVARIANT");
                let (scenario, variant) = pair(scenario, variant);
                run(&scenario, variant, &[count, count, 2 * count]);
            }
        }
        [scenario, variant, count] => {
            let (scenario, variant) = pair(scenario, variant);
            run(&scenario, variant, &[count.parse().expect("a count")]);
        }
        _ => {
            eprintln!("usage: instructions --list | --pairs N < PAIRS | SCENARIO VARIANT N");
            std::process::exit(2);
        }
    }
}

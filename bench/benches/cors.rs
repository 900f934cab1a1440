//! Time per request for every scenario and variant in `bench/src/lib.rs`,
//! in one run: `cargo bench -p cors-bench --bench cors`. Ratios to the baselines are in
//! BENCHMARKS.md; `scripts/bench-report` computes them from criterion's
//! output.

use cors_bench::{check, service, SCENARIOS};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use std::time::Duration;

fn per_request(c: &mut Criterion) {
    for scenario in SCENARIOS {
        let mut group = c.benchmark_group(scenario.name);
        let send = scenario.sender();
        for &variant in scenario.variants() {
            let service = service(variant, scenario);
            let response = send(&service, scenario.request());
            if let Err(problem) = check(scenario, variant, &response) {
                panic!("wrong answer before timing: {problem}");
            }
            group.bench_function(variant.name(), |b| {
                b.iter_batched(
                    || scenario.request(),
                    |request| drop(send(&service, request)),
                    BatchSize::SmallInput,
                );
            });
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(40);
    targets = per_request
}
criterion_main!(benches);

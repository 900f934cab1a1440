//! `#[cors]` adds no allocation to any request, in either placement of
//! `preflight!`: a counting global allocator compares each scenario of
//! `bench/src/lib.rs` with its baseline, `.options(preflight!(h))` with the
//! handler alone and `.preflight_layer(preflight!(h))` with the handler behind a
//! pass-through layer (`none+layer`).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use cors_bench::{check, send, service, Scenario, Variant, SCENARIOS};

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: every call is forwarded to `System` unchanged; counting only
// touches a thread-local `Cell`.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|count| count.set(count.get() + 1));
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|count| count.set(count.get() + 1));
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const REQUESTS: usize = 64;

/// Allocations per request, with the requests built beforehand.
fn allocations_per_request(scenario: &Scenario, variant: Variant) -> f64 {
    let service = service(variant, scenario.policy);
    check(scenario, variant, &send(&service, scenario.request())).expect("a correct answer");
    let requests: Vec<_> = (0..REQUESTS).map(|_| scenario.request()).collect();
    let before = ALLOCATIONS.with(Cell::get);
    for request in requests {
        drop(send(&service, request));
    }
    let after = ALLOCATIONS.with(Cell::get);
    (after - before) as f64 / REQUESTS as f64
}

#[test]
fn cors_adds_no_allocation() {
    let mut report = String::new();
    let mut extra = Vec::new();
    for scenario in SCENARIOS {
        let baseline = allocations_per_request(scenario, scenario.baseline());
        let ours = allocations_per_request(scenario, Variant::Ours);
        let layer = allocations_per_request(scenario, Variant::OursLayer);
        let passthrough = allocations_per_request(scenario, Variant::NoneLayer);
        let tower = allocations_per_request(scenario, Variant::TowerLayer);
        report.push_str(&format!(
            "{:<26} {:>12} {baseline:>5.2}  ours {ours:>5.2}  none+layer {passthrough:>5.2}  ours(layer) {layer:>5.2}  tower-http(layer) {tower:>5.2}\n",
            scenario.name,
            scenario.baseline().name()
        ));
        if ours > baseline {
            extra.push((scenario.name, Variant::Ours.name()));
        }
        // `MethodRouter::layer` itself costs two allocations per request
        // whatever the layer (axum boxes the layered route's clone and
        // future); `preflight!` as a layer must add none beyond that.
        if layer > passthrough {
            extra.push((scenario.name, Variant::OursLayer.name()));
        }
    }
    println!("{report}");
    assert!(
        extra.is_empty(),
        "allocations added in {extra:?}:\n{report}"
    );
}

#[test]
fn named_policy_allocates_as_the_written_out_policy() {
    for scenario in SCENARIOS {
        let written = allocations_per_request(scenario, Variant::Ours);
        let named = allocations_per_request(scenario, Variant::OursNamed);
        assert!(
            (written - named).abs() < f64::EPSILON,
            "{}: written out {written}, named {named}",
            scenario.name
        );
    }
}

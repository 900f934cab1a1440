//! `#[cors]` adds no allocation to any request: a counting global
//! allocator compares each scenario of `bench/src/lib.rs` with its
//! baseline:
//!
//! - `.options(preflight!(h))` (`ours`) with the handler alone;
//! - `.preflight_layer(preflight!(h))` (`ours(layer)`) with the handler
//!   behind a pass-through layer (`none+layer`);
//! - the default layer around the app (`ours+default`) with `ours`, and
//!   around `ServeDir` with `ServeDir` alone;
//! - the policy declared with `policy!` (`ours(named)`) with `ours`.
//!
//! `ServeDir` answers from tokio's blocking pool, so the count is
//! process-wide, and the tests take turns.

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use cors_bench::{check, service, App, Scenario, Variant, SCENARIOS};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

/// Held by each test: the count is process-wide.
static ALONE: Mutex<()> = Mutex::new(());

// SAFETY: every call is forwarded to `System` unchanged; counting only
// touches an atomic.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const REQUESTS: usize = 64;

/// Allocations per request, with the requests built beforehand: the
/// fewest of three rounds (a thread the blocking pool starts is counted
/// in the round that starts it).
fn allocations_per_request(scenario: &Scenario, variant: Variant) -> f64 {
    let service = service(variant, scenario);
    let send = scenario.sender();
    check(scenario, variant, &send(&service, scenario.request())).expect("a correct answer");
    (0..3)
        .map(|_| {
            let requests: Vec<_> = (0..REQUESTS).map(|_| scenario.request()).collect();
            let before = ALLOCATIONS.load(Ordering::SeqCst);
            for request in requests {
                drop(send(&service, request));
            }
            let after = ALLOCATIONS.load(Ordering::SeqCst);
            (after - before) as f64 / REQUESTS as f64
        })
        .fold(f64::INFINITY, f64::min)
}

/// Each variant of `scenario`, and `none+layer` for the routers.
fn counts(scenario: &Scenario) -> BTreeMap<&'static str, f64> {
    let mut variants = scenario.variants().to_vec();
    if scenario.app != App::ServeDir && !variants.contains(&Variant::NoneLayer) {
        variants.push(Variant::NoneLayer);
    }
    variants
        .into_iter()
        .map(|variant| (variant.name(), allocations_per_request(scenario, variant)))
        .collect()
}

/// The comparisons of `scenario` that fail: a variant that allocates more
/// than the one it must not exceed.
fn comparisons(scenario: &Scenario, counts: &BTreeMap<&'static str, f64>) -> Vec<String> {
    let baseline = scenario.baseline().name();
    let pairs: &[(&str, &str)] = match (scenario.app, scenario.preflight) {
        // The default layer's own allocations: against the same app with a
        // pass-through layer in its place (`Router::layer` boxes every
        // route once more, two allocations whatever the layer), and
        // wrapping the `Router` against `ours` alone.
        (App::OneRoute, false) => &[
            ("ours", baseline),
            ("ours(layer)", "none+layer"),
            ("ours+default", "passthrough"),
            ("ours+default(wrap)", "ours"),
        ],
        // A preflight the route's `preflight!` answers: the default layer
        // prepares its own answer before asking inside (reported in the
        // table, not checked).
        (App::OneRoute, true) => &[("ours", baseline), ("ours(layer)", "none+layer")],
        (App::ServeDir, false) => &[
            ("ours+default", "passthrough"),
            ("ours+default(wrap)", baseline),
        ],
        (App::ServeDir, true) => &[],
        (App::ManyRoutes, _) => &[("ours", baseline), ("ours(layer)", "none+layer")],
    };
    pairs
        .iter()
        .filter(|(ours, base)| counts[ours] > counts[base])
        .map(|(ours, base)| {
            format!(
                "{} {ours} {} > {base} {}",
                scenario.name, counts[ours], counts[base]
            )
        })
        .collect()
}

#[test]
fn cors_adds_no_allocation() {
    let _alone = ALONE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut report = String::new();
    let mut extra = Vec::new();
    for scenario in SCENARIOS {
        let counts = counts(scenario);
        report.push_str(&format!("{:<30}", scenario.name));
        for (variant, count) in &counts {
            report.push_str(&format!(" {variant} {count:.2}"));
        }
        report.push('\n');
        extra.extend(comparisons(scenario, &counts));
    }
    // One line per scenario, `name variant count variant count ...`, for
    // `scripts/bench-report`.
    println!("{report}");
    assert!(extra.is_empty(), "allocations added: {extra:#?}\n{report}");
}

#[test]
fn named_policy_allocates_as_the_written_out_policy() {
    let _alone = ALONE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    for scenario in SCENARIOS
        .iter()
        .filter(|scenario| scenario.variants().contains(&Variant::OursNamed))
    {
        let written = allocations_per_request(scenario, Variant::Ours);
        let named = allocations_per_request(scenario, Variant::OursNamed);
        assert!(
            (written - named).abs() < f64::EPSILON,
            "{}: written out {written}, named {named}",
            scenario.name
        );
    }
}

//! Load against a running server, for `scripts/soak`:
//!
//! `load ADDRESS PATH METHOD ALLOWED_ORIGIN REFUSED_ORIGIN ROUNDS CONNECTIONS REQUESTS [PID]`
//!
//! Prints one line per round: answers, errors, wrong grants, and the
//! server's resident memory when its PID is given.

use cors_bench::load::{resident_kib, round, Target};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 8 {
        eprintln!("usage: load ADDRESS PATH METHOD ALLOWED_ORIGIN REFUSED_ORIGIN ROUNDS CONNECTIONS REQUESTS [PID]");
        std::process::exit(2);
    }
    let target = Target {
        address: args[0].parse().expect("an address such as 127.0.0.1:3000"),
        path: args[1].clone(),
        method: args[2].clone(),
        allowed: args[3].clone(),
        refused: args[4].clone(),
    };
    let rounds: usize = args[5].parse().expect("rounds");
    let connections: usize = args[6].parse().expect("connections");
    let requests: usize = args[7].parse().expect("requests per round");
    let pid: Option<u32> = args.get(8).map(|pid| pid.parse().expect("a pid"));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    println!("round\tanswers\terrors\twrong_grants\tserver_rss_kib\tseconds");
    let mut failed = false;
    for number in 1..=rounds {
        let started = std::time::Instant::now();
        let outcome = runtime.block_on(round(&target, connections, requests));
        let rss = pid
            .and_then(resident_kib)
            .map_or_else(|| "-".to_owned(), |kib| kib.to_string());
        println!(
            "{number}\t{}\t{}\t{}\t{rss}\t{:.2}",
            outcome.answers,
            outcome.errors,
            outcome.wrong_grants,
            started.elapsed().as_secs_f64()
        );
        failed |= outcome.errors > 0 || outcome.wrong_grants > 0;
    }
    std::process::exit(i32::from(failed));
}

//! The browser model lives in `cors-runtime`, but the doctor's HTTP
//! client, command line and TLS stay out of its dependencies (issue 22,
//! item 7).

use std::path::Path;
use std::process::Command;

/// What the doctor uses and `cors-runtime` must not pull in.
const DOCTOR_ONLY: &[&str] = &[
    "hyper",
    "hyper-util",
    "reqwest",
    "clap",
    "rustls",
    "tokio-rustls",
    "webpki-roots",
];

#[test]
fn cors_runtime_pulls_in_no_http_client_command_line_or_tls() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml");
    let output = Command::new(env!("CARGO"))
        .args([
            "tree",
            "-p",
            "cors-runtime",
            "-e",
            "normal",
            "--all-features",
        ])
        .args(["--prefix", "none", "--format", "{p}", "--manifest-path"])
        .arg(workspace)
        .output()
        .expect("cargo tree runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let tree = String::from_utf8_lossy(&output.stdout);
    let names: Vec<&str> = tree
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert!(names.contains(&"cors-runtime"), "{tree}");
    assert!(names.contains(&"axum"), "{tree}");
    let found: Vec<&&str> = DOCTOR_ONLY
        .iter()
        .filter(|name| names.contains(name))
        .collect();
    assert!(
        found.is_empty(),
        "cors-runtime depends on {found:?}:\n{tree}"
    );
}

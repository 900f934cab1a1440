//! The README's "Debugging a CORS failure" is a real run: its probe of the
//! `seed` example prints every line the README shows, in order.

use std::process::Command;

#[path = "../examples/seed/app.rs"]
mod seed;

/// The README's console block: the `$ cargo run -p cors-doctor -- probe`
/// command's arguments, and the output lines shown under it.
fn readme_block() -> (Vec<String>, Vec<String>) {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"))
        .expect("README.md");
    let section = &readme[readme
        .find("## Debugging a CORS failure")
        .expect("the README's debugging section")..];
    let block = section
        .split("```console\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("a console block");
    let mut args = None;
    let mut shown = Vec::new();
    for line in block.lines() {
        if let Some(command) = line.strip_prefix("$ cargo run -p cors-doctor -- ") {
            args = Some(shell_words(command));
        } else if !line.starts_with('$') {
            shown.push(line.to_owned());
        }
    }
    (args.expect("the probe command"), shown)
}

/// Splits a command line as a shell would, for the quoting the README uses
/// (single quotes around an argument with spaces).
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '\'' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            _ => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

#[test]
fn the_readme_shows_a_real_probe_of_the_seed_example() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let port = listener.local_addr().expect("bound").port().to_string();
    runtime.spawn(async move { axum::serve(listener, seed::app()).await });

    let (args, shown) = readme_block();
    let args: Vec<String> = args
        .iter()
        .map(|arg| arg.replace("127.0.0.1:8080", &format!("127.0.0.1:{port}")))
        .collect();
    let output = Command::new(env!("CARGO_BIN_EXE_cors-doctor"))
        .args(&args)
        .env("NO_COLOR", "1")
        .output()
        .expect("cors-doctor runs");
    let printed = String::from_utf8_lossy(&output.stdout).into_owned();
    assert_eq!(output.status.code(), Some(1), "blocked: {printed}");
    let mut rest = printed.as_str();
    for line in &shown {
        let line = line.replace("127.0.0.1:8080", &format!("127.0.0.1:{port}"));
        let at = rest
            .find(&format!("{line}\n"))
            .unwrap_or_else(|| panic!("the README shows {line:?}, which the probe did not print after the line before:\n{printed}"));
        rest = &rest[at + line.len()..];
    }
    assert!(
        shown
            .iter()
            .any(|line| line.contains("It does not have HTTP ok status")),
        "the README shows the seed's error"
    );
}

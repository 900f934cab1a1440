//! Compile-time checks: `tests/ui/fail` must fail with the checked-in
//! `.stderr`, `tests/ui/pass` must compile.
//!
//! Regenerate the `.stderr` files with `TRYBUILD=overwrite cargo test --test ui`
//! and review the diff.
//!
//! Pass and fail cases share one trybuild run, so the dependency graph is
//! built once for both.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/fail/*.rs");
    cases.pass("tests/ui/pass/*.rs");
}

/// `.ci/run` compiles each pass case with the MSRV toolchain through the
/// bins of `msrv/Cargo.toml`, which must therefore list every one.
#[test]
fn every_pass_case_is_a_bin_of_the_msrv_check() {
    let manifest = std::fs::read_to_string("msrv/Cargo.toml").unwrap();
    let mut missing = Vec::new();
    for entry in std::fs::read_dir("tests/ui/pass").unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name.ends_with(".rs")
            && !manifest.contains(&format!("path = \"../tests/ui/pass/{name}\""))
        {
            missing.push(name);
        }
    }
    assert!(
        missing.is_empty(),
        "add these to msrv/Cargo.toml as [[bin]]s: {missing:?}"
    );
}

/// `tests/ui/README.md` lists every rejected mistake with its case, so the
/// set can be reviewed at a glance; a new case must be listed there.
#[test]
fn every_fail_case_is_listed_in_the_readme() {
    let readme = std::fs::read_to_string("tests/ui/README.md").expect("tests/ui/README.md");
    let mut unlisted = Vec::new();
    for entry in std::fs::read_dir("tests/ui/fail").expect("tests/ui/fail") {
        let name = entry.expect("directory entry").file_name();
        let name = name.to_string_lossy();
        if name.ends_with(".rs") && !readme.contains(&format!("(fail/{name})")) {
            unlisted.push(name.into_owned());
        }
    }
    unlisted.sort();
    assert!(
        unlisted.is_empty(),
        "add these to tests/ui/README.md: {unlisted:?}"
    );
}

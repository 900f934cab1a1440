#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    for case in std::env::var("CASES").unwrap().split(',') {
        cases.compile_fail(format!("tests/ui/fail/{case}.rs"));
    }
}

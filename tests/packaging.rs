//! What `cargo package` puts in each published crate beside its code:
//! the licence texts (copies, since a symlink breaks checkouts without
//! symlink support) and a README.

const PUBLISHED: [&str; 3] = ["cors-rules", "cors-macros", "cors-runtime"];

#[test]
fn each_published_crate_carries_the_root_licence_texts() {
    for licence in ["LICENSE-MIT", "LICENSE-APACHE"] {
        let root = std::fs::read_to_string(licence).unwrap();
        for krate in PUBLISHED {
            let copy = std::fs::read_to_string(format!("{krate}/{licence}"))
                .unwrap_or_else(|error| panic!("{krate}/{licence}: {error}"));
            assert!(
                copy == root,
                "{krate}/{licence} differs from ./{licence}: copy it again"
            );
        }
    }
}

#[test]
fn each_published_crate_has_a_readme_and_the_metadata_crates_io_shows() {
    for krate in PUBLISHED {
        let manifest = std::fs::read_to_string(format!("{krate}/Cargo.toml")).unwrap();
        for key in [
            "description",
            "documentation",
            "readme",
            "keywords",
            "categories",
        ] {
            assert!(
                manifest
                    .lines()
                    .any(|line| line.starts_with(&format!("{key} = "))),
                "{krate}/Cargo.toml has no `{key}`"
            );
        }
        let readme = std::fs::read_to_string(format!("{krate}/README.md")).unwrap();
        assert!(
            readme.starts_with(&format!("# {krate}\n")),
            "{krate}/README.md"
        );
    }
}

/// A later `cors-macros` 0.1.x could emit code against `__private` items
/// an older `cors-runtime` lacks, so the published crates depend on each
/// other at the exact version, as thiserror does on thiserror-impl.
#[test]
fn published_crates_pin_each_other_to_the_exact_version() {
    let mut pins = 0;
    for krate in PUBLISHED {
        let manifest = std::fs::read_to_string(format!("{krate}/Cargo.toml")).unwrap();
        for line in manifest.lines() {
            let Some(dependency) = PUBLISHED
                .iter()
                .find(|name| line.starts_with(&format!("{name} = ")))
            else {
                continue;
            };
            // The root package shares the workspace version with them.
            let pin = format!("version = \"={}\"", env!("CARGO_PKG_VERSION"));
            assert!(line.contains(&pin), "{krate} -> {dependency}: {line}");
            pins += 1;
        }
    }
    // cors-macros -> cors-rules, cors-runtime -> cors-macros and cors-rules.
    assert_eq!(pins, 3);
}

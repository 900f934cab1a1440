cors_runtime::policy! {
    /// No origins.
    pub APP = {
        methods = [GET],
    };
}

fn main() {}

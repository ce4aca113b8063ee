//! The `sanitize` target (see `agon_fuzz::targets::sanitize`).

fn main() {
    agon_fuzz::main("sanitize", agon_fuzz::targets::sanitize);
}

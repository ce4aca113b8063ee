//! The `theme` target (see `agon_fuzz::targets::theme`).

fn main() {
    agon_fuzz::main("theme", agon_fuzz::targets::theme);
}

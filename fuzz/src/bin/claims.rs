//! The `claims` target (see `agon_fuzz::targets::claims`).

fn main() {
    agon_fuzz::main("claims", agon_fuzz::targets::claims);
}

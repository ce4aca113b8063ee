//! The `session` target (see `agon_fuzz::targets::session`).

fn main() {
    agon_fuzz::main("session", agon_fuzz::targets::session);
}

//! The `config` target (see `agon_fuzz::targets::config`).

fn main() {
    agon_fuzz::main("config", agon_fuzz::targets::config);
}

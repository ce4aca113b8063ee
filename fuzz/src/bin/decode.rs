//! The `decode` target (see `agon_fuzz::targets::decode`).

fn main() {
    agon_fuzz::main("decode", agon_fuzz::targets::decode);
}

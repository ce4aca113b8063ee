use std::process::ExitCode;

fn main() -> ExitCode {
    match agon::cli::main() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("agon: {e:#}");
            ExitCode::FAILURE
        }
    }
}

//! The `sevendigital` command line (work in progress: see the README).

fn main() {
    eprintln!("sevendigital: no subcommands yet");
    std::process::exit(2);
}

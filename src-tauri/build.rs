fn main() {
    // The window embeds ui/build (tauri.conf.json's frontendDist) when this crate compiles, and
    // tauri-build does not watch it: a new UI build must recompile the shell, or the app serves
    // the old page's file list (a missing chunk answers index.html: a blank "500" window).
    // `make ui` touches index.html after every build.
    println!("cargo:rerun-if-changed=../ui/build/index.html");
    tauri_build::build()
}

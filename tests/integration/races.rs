//! Outputs stay whole however runs meet: two runs started at once (the loser says who runs
//! and changes nothing), a run killed at any moment, a full disk, a read-only one; and the
//! inbox's symbolic links are not followed out of it.

use crate::common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A campaign with the sample inbox, collected and reported once; returns the temp dir, the
/// campaign and the hashes of `collected/` and `report/` after those single runs.
fn sample_campaign() -> (tempfile::TempDir, PathBuf, BTreeMap<String, String>, BTreeMap<String, String>) {
    let tmp = temp_dir();
    gpwr(tmp.path(), &["init", "k"]).expect_code(0);
    let campaign = tmp.path().join("k");
    copy_tree(&repo().join("samples/inbox"), &campaign.join("inbox"));
    gpwr(&campaign, &["collect"]).expect_code(1);
    gpwr(&campaign, &["report"]).expect_code(1);
    let collected = hash_tree(&campaign.join("collected"));
    let report = hash_tree(&campaign.join("report"));
    assert!(collected.contains_key(".gpwr-wyniki") && collected.contains_key("dane.parquet"), "{collected:?}");
    assert!(report.contains_key("zestawienie.xlsx"), "{report:?}");
    (tmp, campaign, collected, report)
}

fn spawn(cwd: &Path, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_gpwr"))
        .args(args)
        .current_dir(cwd)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start gpwr")
}

fn finish(child: Child) -> Run {
    let output = child.wait_with_output().expect("wait for gpwr");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A run that met another: either it ran whole (exit `done`), or it was refused at once with
/// the Polish lock message naming the other run (exit 3). Returns whether it was refused.
fn refused_or_done(run: &Run, done: i32, other: &str) -> bool {
    if run.code == done {
        return false;
    }
    assert_eq!(run.code, 3, "neither done nor refused:\n{}", run.stderr);
    let expected = format!("Błąd: Trwa już {other} (gpwr ");
    assert!(run.stderr.starts_with(&expected), "expected {expected:?}…, got:\n{}", run.stderr);
    assert!(run.stderr.contains("niczego nie zmieniono"), "{}", run.stderr);
    assert!(!run.stderr.contains("os error"), "{}", run.stderr);
    true
}

/// What gpwr's staging left in `dir`: temporary folders and files of runs that ended.
fn leftovers(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".gpwr-new") || n.contains(".gpwr-old") || n.contains(".gpwr-tmp"))
        .collect();
    names.sort();
    names
}

#[test]
fn runs_started_together_leave_whole_outputs_and_the_loser_names_the_winner() {
    let (_tmp, campaign, collected, report) = sample_campaign();
    let mut refusals = 0;
    for round in 0..8 {
        // Two collects on the same folder, as a double click would start them.
        let (a, b) = (spawn(&campaign, &["collect"]), spawn(&campaign, &["collect"]));
        let (a, b) = (finish(a), finish(b));
        let refused = [refused_or_done(&a, 1, "zbieranie danych"), refused_or_done(&b, 1, "zbieranie danych")];
        assert!(!(refused[0] && refused[1]), "round {round}: one of the two must run");
        refusals += refused.iter().filter(|r| **r).count();
        assert_eq!(hash_tree(&campaign.join("collected")), collected, "round {round}: collected/ as after one run");

        // A collect and a report reading the same collected/.
        let (c, r) = (spawn(&campaign, &["collect"]), spawn(&campaign, &["report"]));
        let (c, r) = (finish(c), finish(r));
        let refused = [refused_or_done(&c, 1, "tworzenie zestawienia"), refused_or_done(&r, 1, "zbieranie danych")];
        refusals += refused.iter().filter(|r| **r).count();
        assert_eq!(hash_tree(&campaign.join("collected")), collected, "round {round}: collected/ whole");
        assert_eq!(hash_tree(&campaign.join("report")), report, "round {round}: report/ as after one run");
        assert_eq!(leftovers(&campaign), Vec::<String>::new(), "round {round}");
    }
    assert!(refusals > 0, "the runs never met: nothing was shown");
}

/// Starts a run, kills it (SIGKILL) after `delay`, and waits for it.
fn kill_after(cwd: &Path, args: &[&str], delay: Duration) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gpwr"))
        .args(args)
        .current_dir(cwd)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(delay);
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn a_collect_killed_at_twenty_moments_leaves_the_old_or_the_new_output_whole() {
    let tmp = temp_dir();
    gpwr(tmp.path(), &["init", "k"]).expect_code(0);
    let campaign = tmp.path().join("k");
    // Two inboxes whose outputs differ (UM's return is missing from the second), each
    // collected once elsewhere for reference.
    let (full, short) = (campaign.join("inbox"), campaign.join("inbox_bez_UM"));
    copy_tree(&repo().join("samples/inbox"), &full);
    copy_tree(&full, &short);
    std::fs::remove_file(short.join("UM.xlsx")).unwrap();
    let reference = |inbox: &Path, name: &str| {
        let out = tmp.path().join(name);
        let started = Instant::now();
        gpwr(&campaign, &["collect", "--inbox", inbox.to_str().unwrap(), "--out", out.to_str().unwrap()])
            .expect_code(1);
        (hash_tree(&out), started.elapsed())
    };
    let (with_um, duration) = reference(&full, "wzor_pelny");
    let (without_um, _) = reference(&short, "wzor_bez_um");
    assert_ne!(with_um, without_um);
    gpwr(&campaign, &["collect"]).expect_code(1);

    let inboxes = [(&full, &with_um), (&short, &without_um)];
    let mut current = 0;
    let mut outcomes = BTreeMap::new();
    for point in 0..20u32 {
        let (next_inbox, _) = inboxes[1 - current];
        kill_after(&campaign, &["collect", "--inbox", next_inbox.to_str().unwrap()], duration * point / 19);
        let now = hash_tree(&campaign.join("collected"));
        let state = if &now == inboxes[current].1 {
            "stara"
        } else if &now == inboxes[1 - current].1 {
            current = 1 - current;
            "nowa"
        } else {
            panic!("killed at point {point}: collected/ is neither the old nor the new output: {now:?}")
        };
        *outcomes.entry(state).or_insert(0) += 1;
        for name in leftovers(&campaign) {
            assert!(name.starts_with(".collected.gpwr-new-"), "point {point}: unexpected {name}");
        }
    }
    assert!(outcomes.get("stara").is_some_and(|n| *n > 0), "some kills came before the swap: {outcomes:?}");

    // The next run is not blocked by any lock of the killed ones, and clears what they left.
    let (next_inbox, expected) = inboxes[1 - current];
    gpwr(&campaign, &["collect", "--inbox", next_inbox.to_str().unwrap()]).expect_code(1);
    assert_eq!(&hash_tree(&campaign.join("collected")), expected);
    assert_eq!(leftovers(&campaign), Vec::<String>::new());
}

/// Runs `script` (sh) with a fresh 1 MB tmpfs mounted at `$DISK`, in a mount namespace of its
/// own (so nothing stays mounted), `$GPWR` the binary, `$SAVE` a folder on the real disk for
/// what the test checks afterwards. `None`, said loudly, where no tmpfs can be mounted here.
fn on_small_disk(tmp: &Path, script: &str) -> Option<std::process::Output> {
    let disk = tmp.join("dysk");
    std::fs::create_dir_all(&disk).unwrap();
    std::fs::create_dir_all(tmp.join("zapis")).unwrap();
    let script = format!("mount -t tmpfs -o size=1m tmpfs \"$DISK\" || exit 97\necho TMPFS_OK\n{script}");
    // As root a mount namespace is enough; otherwise a user namespace may give one.
    let namespaces: [&[&str]; 2] =
        [&["--mount", "--propagation", "private"], &["--user", "--map-root-user", "--mount"]];
    for flags in namespaces {
        let output = Command::new("unshare")
            .args(flags)
            .args(["sh", "-c", &script])
            .env("DISK", &disk)
            .env("SAVE", tmp.join("zapis"))
            .env("GPWR", env!("CARGO_BIN_EXE_gpwr"))
            .current_dir(tmp)
            .output();
        if let Ok(output) = output
            && String::from_utf8_lossy(&output.stdout).starts_with("TMPFS_OK")
        {
            return Some(output);
        }
    }
    skipped("cannot mount a 1 MB tmpfs here (needs root or user namespaces and util-linux's unshare)");
    None
}

/// The campaign for the disk tests: the sample programme and inbox.
fn campaign_in(tmp: &Path) -> PathBuf {
    gpwr(tmp, &["init", "k"]).expect_code(0);
    let campaign = tmp.join("k");
    copy_tree(&repo().join("samples/inbox"), &campaign.join("inbox"));
    campaign
}

/// The two runs of the disk tests: collect and report into `$DISK`, once with room (their
/// outputs saved as `*_przed`), then, after `$BREAK` makes the disk unusable, again (their
/// outputs, messages and exit codes saved as `*_po`, `*.err`, `*.code`).
const RUN_TWICE: &str = r#"
cd "$CAMPAIGN"
"$GPWR" collect --out "$DISK/k" >/dev/null 2>&1
"$GPWR" report --collected "$DISK/k" --out "$DISK/r" >/dev/null 2>&1
cp -a "$DISK/k" "$SAVE/k_przed" && cp -a "$DISK/r" "$SAVE/r_przed"
eval "$BREAK"
"$GPWR" collect --out "$DISK/k" >"$SAVE/collect.out" 2>"$SAVE/collect.err"; echo $? >"$SAVE/collect.code"
"$GPWR" report --collected "$DISK/k" --out "$DISK/r" >"$SAVE/report.out" 2>"$SAVE/report.err"; echo $? >"$SAVE/report.code"
cp -a "$DISK/k" "$SAVE/k_po" && cp -a "$DISK/r" "$SAVE/r_po"
ls -A "$DISK" >"$SAVE/lista"
"#;

/// Checks what [`RUN_TWICE`] saved: both second runs failed with exit 3 and a Polish message
/// containing `reason`, the first outputs are untouched, nothing else is on the disk.
fn check_refused_and_untouched(tmp: &Path, reason: &str, on_disk: &[&str]) {
    let save = tmp.join("zapis");
    let read = |name: &str| std::fs::read_to_string(save.join(name)).unwrap_or_default();
    for command in ["collect", "report"] {
        let (code, stderr) = (read(&format!("{command}.code")), read(&format!("{command}.err")));
        assert_eq!(code.trim(), "3", "{command}: exit code\n{stderr}");
        assert!(
            stderr.starts_with("Błąd: ") && stderr.contains(reason),
            "{command}: expected {reason:?} in:\n{stderr}"
        );
        assert_no_english(&stderr, command);
        assert_eq!(read(&format!("{command}.out")), "", "{command} printed no result");
    }
    assert!(hash_tree(&save.join("k_przed")).contains_key("dane.csv"), "the first collect wrote its output");
    assert_eq!(hash_tree(&save.join("k_po")), hash_tree(&save.join("k_przed")), "collected data untouched");
    assert_eq!(hash_tree(&save.join("r_po")), hash_tree(&save.join("r_przed")), "report untouched");
    let listing: Vec<String> = read("lista").lines().map(str::to_string).collect();
    assert_eq!(listing, on_disk, "no staging leftovers on the disk");
}

#[test]
fn a_full_disk_stops_collect_and_report_with_a_polish_message_and_keeps_the_previous_output() {
    let tmp = temp_dir();
    let campaign = campaign_in(tmp.path());
    let fill = r#"avail=$(df -B1 --output=avail "$DISK" | tail -n 1); head -c $((avail - 65536)) /dev/zero >"$DISK/wypelnienie""#;
    let script = format!("CAMPAIGN='{}'\nBREAK='{fill}'\n{RUN_TWICE}", campaign.display());
    let Some(output) = on_small_disk(tmp.path(), &script) else { return };
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    check_refused_and_untouched(tmp.path(), "brak miejsca na dysku", &[".gpwr-blokada", "k", "r", "wypelnienie"]);
}

#[test]
fn a_read_only_disk_stops_collect_and_report_with_a_polish_message() {
    let tmp = temp_dir();
    let campaign = campaign_in(tmp.path());
    let script = format!("CAMPAIGN='{}'\nBREAK='mount -o remount,ro \"$DISK\"'\n{RUN_TWICE}", campaign.display());
    let Some(output) = on_small_disk(tmp.path(), &script) else { return };
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    check_refused_and_untouched(tmp.path(), "tylko do odczytu", &[".gpwr-blokada", "k", "r"]);
}

#[test]
fn inbox_links_are_followed_only_to_files_inside_the_inbox_and_broken_ones_are_told_in_polish() {
    use std::os::unix::fs::symlink;
    let tmp = temp_dir();
    gpwr(tmp.path(), &["init", "k"]).expect_code(0);
    let campaign = tmp.path().join("k");
    let inbox = campaign.join("inbox");
    // Inside: MOSiR's return in a subfolder, reached through a link at the top.
    std::fs::create_dir(inbox.join("poczta")).unwrap();
    std::fs::copy(repo().join("samples/inbox/MOSIR.xlsx"), inbox.join("poczta/MOSIR.xlsx")).unwrap();
    symlink("poczta/MOSIR.xlsx", inbox.join("mosir_skrot.xlsx")).unwrap();
    // Outside: UM's real return, a system file, a whole system folder.
    std::fs::create_dir(tmp.path().join("gdzie_indziej")).unwrap();
    std::fs::copy(repo().join("samples/inbox/UM.xlsx"), tmp.path().join("gdzie_indziej/UM.xlsx")).unwrap();
    symlink(tmp.path().join("gdzie_indziej/UM.xlsx"), inbox.join("UM.xlsx")).unwrap();
    symlink("/etc/passwd", inbox.join("passwd.xlsx")).unwrap();
    symlink("/etc", inbox.join("system")).unwrap();
    // Nowhere: a loop and a link whose target is gone.
    symlink("petla_b.xlsx", inbox.join("petla_a.xlsx")).unwrap();
    symlink("petla_a.xlsx", inbox.join("petla_b.xlsx")).unwrap();
    symlink("nie_ma.xlsx", inbox.join("zerwane.xlsx")).unwrap();

    let run = gpwr(&campaign, &["collect", "--json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let all = findings(&json);
    for (file, code) in [
        ("UM.xlsx", "LACZE_POZA_FOLDEREM"),
        ("passwd.xlsx", "LACZE_POZA_FOLDEREM"),
        ("system", "LACZE_POZA_FOLDEREM"),
        ("petla_a.xlsx", "LACZE_ZERWANE"),
        ("petla_b.xlsx", "LACZE_ZERWANE"),
        ("zerwane.xlsx", "LACZE_ZERWANE"),
    ] {
        assert_eq!(codes_of(&all, file), [code], "{file}: {all:?}");
    }
    let message = |file: &str| {
        json["ustalenia"].as_array().unwrap().iter().find(|f| f["plik"] == file).unwrap()["komunikat"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(message("petla_a.xlsx").contains("łącza symboliczne tworzą pętlę"), "{}", message("petla_a.xlsx"));
    assert!(message("zerwane.xlsx").contains("nie ma takiego pliku ani folderu"), "{}", message("zerwane.xlsx"));
    assert!(message("UM.xlsx").contains("gdzie_indziej/UM.xlsx"), "{}", message("UM.xlsx"));
    // The link inside was read; the return outside was not, and UM counts as missing.
    let returned = |id: &str| {
        json["kompletnosc"].as_array().unwrap().iter().find(|c| c["instytucja"] == id).unwrap()["plik"].clone()
    };
    assert!(returned("MOSIR").is_string(), "MOSiR's return is read through the link: {}", returned("MOSIR"));
    assert!(returned("UM").is_null(), "UM's return outside the inbox is not read: {}", returned("UM"));
    let files: Vec<&str> = json["pliki"].as_array().unwrap().iter().filter_map(|f| f["plik"].as_str()).collect();
    assert!(!files.contains(&"passwd.xlsx") && !files.contains(&"UM.xlsx"), "{files:?}");
    assert_no_english(&run.stderr, "collect's messages");
    assert_no_english(&std::fs::read_to_string(campaign.join("collected/ustalenia.csv")).unwrap(), "ustalenia.csv");
}

#[test]
fn no_english_library_text_reaches_a_user_from_the_hostile_corpus() {
    let tmp = temp_dir();
    gpwr(tmp.path(), &["init", "k"]).expect_code(0);
    let campaign = tmp.path().join("k");
    for entry in std::fs::read_dir(repo().join("tests/fixtures/hostile")).unwrap() {
        let path = entry.unwrap().path();
        if !matches!(path.extension().and_then(|e| e.to_str()), Some("py" | "md")) {
            std::fs::copy(&path, campaign.join("inbox").join(path.file_name().unwrap())).unwrap();
        }
    }
    let run = gpwr(&campaign, &["collect"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_no_english(&run.stdout, "collect's summary");
    assert_no_english(&run.stderr, "collect's messages");
    let findings = read_csv(&campaign.join("collected/ustalenia.csv"));
    let messages: String = findings.iter().map(|f| format!("{}: {}\n", f["plik"], f["komunikat"])).collect();
    assert_no_english(&messages, "ustalenia.csv");
    // The damaged files are still described, in Polish.
    for (file, expected) in [
        ("uciety.xlsx", "plik jest ucięty: brakuje jego końca"),
        ("uciety.xls", "struktura pliku .xls jest uszkodzona"),
        ("komorki.ods", "arkusz rozwija się do zbyt wielu komórek"),
    ] {
        let found = findings.iter().find(|f| f["plik"] == file).unwrap_or_else(|| panic!("no finding for {file}"));
        assert!(found["komunikat"].contains(expected), "{file}: expected {expected:?}, got {:?}", found["komunikat"]);
    }
}

#[test]
fn an_output_folder_reached_through_a_link_into_the_inbox_or_a_file_is_refused() {
    let tmp = temp_dir();
    let campaign = campaign_in(tmp.path());
    std::os::unix::fs::symlink("inbox", campaign.join("skrot")).unwrap();
    let before = hash_tree(&campaign.join("inbox"));
    let run = gpwr(&campaign, &["collect", "--out", "skrot/wyniki"]).expect_code(3);
    assert!(run.stderr.contains("pokrywa się z danymi wejściowymi"), "{}", run.stderr);
    assert_eq!(hash_tree(&campaign.join("inbox")), before, "nothing was written into the inbox");
    std::fs::write(campaign.join("notatki.txt"), "ważne").unwrap();
    let run = gpwr(&campaign, &["collect", "--out", "notatki.txt"]).expect_code(3);
    assert!(run.stderr.contains("nie jest zwykłym folderem"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(campaign.join("notatki.txt")).unwrap(), "ważne");
    assert_eq!(leftovers(&campaign), Vec::<String>::new());
}

// gpwr's page script: sends every form with the address's key in a header (the server
// refuses changes without it), uploads dropped files one by one, and follows a running job.
"use strict";

const token = document.querySelector('meta[name="gpwr-token"]').content;

async function send(url, body) {
  return fetch(url, { method: "POST", headers: { "X-Gpwr-Token": token }, body });
}

document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (form.method.toLowerCase() !== "post") return;
  event.preventDefault();
  form.querySelectorAll("button").forEach((b) => { b.disabled = true; });
  try {
    const response = await send(form.action, new FormData(form));
    // The next page, or this one again: a refusal was left for it to show.
    const answer = await response.json().catch(() => ({}));
    location.href = answer.dalej || location.pathname + location.search;
  } catch (error) {
    form.querySelectorAll("button").forEach((b) => { b.disabled = false; });
    alert("Brak połączenia z gpwr: czy okno programu jest otwarte?");
  }
});

const drop = document.querySelector(".upuszczanie");
if (drop) {
  const stop = (event) => { event.preventDefault(); event.stopPropagation(); };
  ["dragenter", "dragover"].forEach((name) => drop.addEventListener(name, (e) => { stop(e); drop.classList.add("nad"); }));
  ["dragleave", "drop"].forEach((name) => drop.addEventListener(name, (e) => { stop(e); drop.classList.remove("nad"); }));
  drop.addEventListener("drop", async (event) => {
    const files = [...event.dataTransfer.files];
    const note = drop.querySelector(".postep-wysylania");
    for (const [i, file] of files.entries()) {
      note.textContent = `Zapisywanie ${i + 1} z ${files.length}: ${file.name}`;
      const body = new FormData();
      body.append("pliki", file, file.name);
      try { await send("/odpowiedzi", body); } catch (error) { note.textContent = "Brak połączenia z gpwr."; return; }
    }
    location.href = "/odpowiedzi";
  });
}

const bar = document.querySelector("progress[data-zadanie]");
if (bar) {
  const poll = async () => {
    let state;
    try { state = await (await fetch("/api/zadanie")).json(); } catch (error) { setTimeout(poll, 2000); return; }
    if (state.trwa) {
      bar.max = Math.max(state.wszystkie, 1);
      bar.value = state.zrobione;
      setTimeout(poll, 400);
    } else {
      location.reload();
    }
  };
  poll();
}

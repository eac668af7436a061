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
  const status = document.querySelector(".czekaj");
  if (status) status.hidden = false;
  const response = await send(form.action, new FormData(form));
  const answer = await response.json().catch(() => ({}));
  location.href = answer.dalej || location.pathname + location.search;
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
      await send("/odpowiedzi", body);
    }
    location.href = "/odpowiedzi";
  });
}

const bar = document.querySelector("progress[data-zadanie]");
if (bar) {
  const poll = async () => {
    const state = await (await fetch("/api/zadanie")).json();
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

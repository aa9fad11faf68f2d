// The playground: a small project edited in the page and compiled by this server's own API, as an
// editor backend would call it. Nothing a compile makes runs here: the PDF is drawn by pdf.js
// (no eval), logs and messages are set as text.
import * as pdfjs from '/playground/vendor/pdfjs/build/pdf.min.mjs';

pdfjs.GlobalWorkerOptions.workerSrc = '/playground/vendor/pdfjs/build/pdf.worker.min.mjs';

const SAMPLE = {
  'main.tex': String.raw`\documentclass{article}
\usepackage{amsmath}
\title{A playground document}
\author{The compile service}
\begin{document}
\maketitle

\section{Introduction}
This document was compiled by the service you are looking at.
Edit it and press Ctrl+Enter to compile again; Knuth's book~\cite{knuth84} is in \texttt{refs.bib}.

\section{Some mathematics}
\begin{equation}
  e^{i\pi} + 1 = 0
\end{equation}

\bibliographystyle{plain}
\bibliography{refs}
\end{document}
`,
  'refs.bib': `@book{knuth84,
  author = {Donald E. Knuth},
  title = {The {\\TeX}book},
  publisher = {Addison-Wesley},
  year = {1984}
}
`,
};

const $ = (id) => document.getElementById(id);
const state = {
  files: new Map(Object.entries(SAMPLE)),
  current: 'main.tex',
  project: 'playground-' + Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join(''),
  token: null,
  group: null,
  pages: [],
  buildId: null,
  compiling: false,
};

const editor = CodeMirror($('editor'), {
  value: state.files.get(state.current),
  mode: 'stex',
  lineNumbers: true,
  lineWrapping: true,
  screenReaderLabel: 'LaTeX source',
  extraKeys: {
    'Ctrl-Enter': () => compile(),
    'Cmd-Enter': () => compile(),
    'Shift-Ctrl-L': () => showCursorInPdf(),
  },
});

function status(text) {
  $('status').textContent = text;
}

/** fetch with the API token, when the server needs one; asks for it on a 401 and tries again. */
async function api(path, init = {}) {
  const headers = new Headers(init.headers || {});
  if (state.token) headers.set('Authorization', 'Bearer ' + state.token);
  const response = await fetch(path, { ...init, headers });
  if (response.status === 401) {
    await askForToken();
    return api(path, init);
  }
  return response;
}

function askForToken() {
  return new Promise((resolve) => {
    const form = $('token-form');
    form.hidden = false;
    $('token').focus();
    form.onsubmit = (event) => {
      event.preventDefault();
      state.token = $('token').value;
      form.hidden = true;
      resolve();
    };
  });
}

function renderFiles() {
  const list = $('files');
  list.replaceChildren();
  for (const name of state.files.keys()) {
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = name;
    button.setAttribute('aria-current', String(name === state.current));
    button.onclick = () => openFile(name);
    item.append(button);
    list.append(item);
  }
}

function openFile(name, line) {
  if (name !== state.current) {
    state.files.set(state.current, editor.getValue());
    state.current = name;
    editor.setValue(state.files.get(name) ?? '');
    renderFiles();
  }
  if (line) {
    editor.setSelection({ line: line - 1, ch: 0 }, { line: line - 1, ch: editor.getLine(line - 1)?.length ?? 0 });
    editor.scrollIntoView({ line: line - 1, ch: 0 }, 100);
  }
  editor.focus();
}

$('new-file').onsubmit = (event) => {
  event.preventDefault();
  const name = $('new-file-name').value.trim();
  if (name && !state.files.has(name)) {
    state.files.set(name, '');
    $('new-file-name').value = '';
    openFile(name);
  }
};

async function loadOffer() {
  const offer = await (await api('/offer')).json();
  const compilers = $('compiler');
  for (const name of offer.compilers) compilers.add(new Option(name, name, false, name === offer.defaultCompiler));
  state.group = offer.groups.find((group) => group.name === offer.playgroundGroup) || offer.groups.find((group) => group.name === offer.defaultGroup);
  const images = $('image');
  for (const name of state.group.images) {
    const described = offer.images.find((image) => image.name === name);
    const label = described && described.texliveYear ? `TeX Live ${described.texliveYear} (${name})` : name;
    images.add(new Option(label, name, false, name === state.group.defaultImage));
  }
}

/** Follows the compile's log as TeX writes it: Server-Sent Events read from a streaming fetch, which can send the token. */
async function followLog() {
  const log = $('log');
  log.textContent = '';
  const response = await api(`/project/${state.project}/compile/log`);
  if (!response.ok || !response.body) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const name = /^event: (.*)$/m.exec(event)?.[1];
      const data = event.split('\n').filter((line) => line.startsWith('data:')).map((line) => line.slice(5).replace(/^ /, '')).join('\n');
      if (name === 'end' || name === 'idle') return;
      if (name === 'rerun') log.textContent = '';
      else if (!name && data) log.textContent += data + '\n';
      log.scrollTop = log.scrollHeight;
    }
  }
}

async function compile() {
  if (state.compiling) return;
  state.compiling = true;
  state.files.set(state.current, editor.getValue());
  status('Compiling…');
  const body = {
    compile: {
      options: { compiler: $('compiler').value, imageName: $('image').value, compileGroup: state.group.name },
      rootResourcePath: 'main.tex',
      resources: Array.from(state.files, ([path, content]) => ({ path, content })),
    },
  };
  const log = followLog();
  try {
    const response = await api(`/project/${state.project}/compile`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()).compile;
    await log.catch(() => {});
    showAnnotations(answer.annotations || []);
    showTimings(answer);
    const pdf = (answer.outputFiles || []).find((file) => file.path === 'output.pdf');
    state.buildId = answer.buildId || null;
    $('download').hidden = !state.buildId;
    status(`${answer.status}${answer.error ? ': ' + answer.error : ''}` + (answer.texfarm?.resultCacheHit ? ' (unchanged: the last build)' : ''));
    if (pdf) await showPdf(new URL(pdf.url).pathname);
    document.body.dataset.compiled = String((Number(document.body.dataset.compiled) || 0) + 1);
  } catch (error) {
    status('The compile failed: ' + error.message);
  } finally {
    state.compiling = false;
  }
}

function showAnnotations(annotations) {
  const list = $('annotations');
  list.replaceChildren();
  for (const annotation of annotations) {
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = annotation.level;
    const where = annotation.file ? `${annotation.file}${annotation.line ? ':' + annotation.line : ''}` : 'log';
    button.textContent = `${annotation.level} ${where}: ${annotation.message}`;
    if (annotation.file && state.files.has(annotation.file)) button.onclick = () => openFile(annotation.file, annotation.line);
    item.append(button);
    list.append(item);
  }
  if (annotations.length === 0) {
    const item = document.createElement('li');
    item.textContent = 'None.';
    list.append(item);
  }
}

function showTimings(answer) {
  const list = $('timings');
  list.replaceChildren();
  const stages = { ...(answer.texfarm?.timings || {}), ...(answer.timings || {}) };
  for (const [stage, millis] of Object.entries(stages)) {
    const term = document.createElement('dt');
    term.textContent = stage;
    const value = document.createElement('dd');
    value.textContent = `${millis} ms`;
    list.append(term, value);
  }
}

async function showPdf(path) {
  const container = $('pdf');
  const pdf = await pdfjs.getDocument({
    url: path,
    isEvalSupported: false,
    httpHeaders: state.token ? { Authorization: 'Bearer ' + state.token } : {},
  }).promise;
  const pages = [];
  const width = container.clientWidth - 24;
  for (let number = 1; number <= pdf.numPages; number++) {
    const page = await pdf.getPage(number);
    const unscaled = page.getViewport({ scale: 1 });
    const viewport = page.getViewport({ scale: Math.max(0.5, width / unscaled.width) });
    const wrapper = document.createElement('div');
    wrapper.className = 'page';
    wrapper.dataset.page = String(number);
    wrapper.style.width = `${viewport.width}px`;
    wrapper.style.height = `${viewport.height}px`;
    const canvas = document.createElement('canvas');
    canvas.width = viewport.width;
    canvas.height = viewport.height;
    canvas.setAttribute('aria-label', `Page ${number}`);
    wrapper.append(canvas);
    await page.render({ canvasContext: canvas.getContext('2d'), viewport }).promise;
    const text = document.createElement('div');
    text.className = 'textLayer';
    text.style.setProperty('--scale-factor', String(viewport.scale));
    wrapper.append(text);
    await new pdfjs.TextLayer({ textContentSource: page.streamTextContent(), container: text, viewport }).render();
    wrapper.ondblclick = (event) => showLineOfPdfPoint(number, viewport, event, wrapper);
    pages.push({ wrapper, viewport });
  }
  container.replaceChildren(...pages.map((page) => page.wrapper));
  state.pages = pages;
}

/** PDF to source: the line of the double-clicked point, selected in its file. */
async function showLineOfPdfPoint(page, viewport, event, wrapper) {
  const box = wrapper.getBoundingClientRect();
  const h = (event.clientX - box.left) / viewport.scale;
  const v = (event.clientY - box.top) / viewport.scale;
  const response = await api(`/project/${state.project}/sync/pdf?page=${page}&h=${h.toFixed(2)}&v=${v.toFixed(2)}`);
  if (!response.ok) return status('SyncTeX found no line there.');
  const found = (await response.json()).code?.[0];
  if (!found) return status('SyncTeX found no line there.');
  const file = found.file.replace(/^\.\//, '');
  if (state.files.has(file)) openFile(file, found.line);
  status(`PDF page ${page} is ${file}, line ${found.line}.`);
}

/** Source to PDF: where the cursor's line is, highlighted. */
async function showCursorInPdf() {
  const line = editor.getCursor().line + 1;
  const response = await api(`/project/${state.project}/sync/code?file=${encodeURIComponent(state.current)}&line=${line}&column=1`);
  const found = response.ok ? (await response.json()).pdf?.[0] : null;
  if (!found || !state.pages[found.page - 1]) return status(`Line ${line} is in no page of the PDF.`);
  const { wrapper, viewport } = state.pages[found.page - 1];
  wrapper.querySelectorAll('.highlight').forEach((mark) => mark.remove());
  const mark = document.createElement('div');
  mark.className = 'highlight';
  mark.style.left = `${found.h * viewport.scale}px`;
  mark.style.top = `${(found.v - found.height) * viewport.scale}px`;
  mark.style.width = `${Math.max(found.width, 20) * viewport.scale}px`;
  mark.style.height = `${Math.max(found.height, 8) * viewport.scale}px`;
  wrapper.append(mark);
  mark.scrollIntoView({ block: 'center' });
  status(`Line ${line} is on page ${found.page}.`);
}

$('settings').onsubmit = (event) => {
  event.preventDefault();
  compile();
};

$('wordcount').onclick = async () => {
  const response = await api(`/project/${state.project}/wordcount?file=main.tex`);
  const count = response.ok ? (await response.json()).texcount : null;
  status(count ? `${count.textWords} words of text, ${count.headWords} in headings.` : 'Compile first, then count the words.');
};

$('download').onclick = async (event) => {
  event.preventDefault();
  const response = await api(`/project/${state.project}/build/${state.buildId}/output/output.zip`);
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await response.blob());
  link.download = 'output.zip';
  link.click();
  URL.revokeObjectURL(link.href);
};

renderFiles();
loadOffer().then(compile).catch((error) => status('The server did not answer: ' + error.message));

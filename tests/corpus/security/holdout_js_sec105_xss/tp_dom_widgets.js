function renderWelcome() {
  const params = new URLSearchParams(window.location.search);
  const user = params.get('user') || 'guest';
  const box = document.querySelector('#welcome');
  box.insertAdjacentHTML('beforeend', `<p>Hello, <b>${user}</b></p>`);  // expect: SEC105
}

function showTab() {
  const tab = decodeURIComponent(window.location.hash.substring(1));
  document.getElementById('title').outerHTML = '<h2 id="title">' + tab + '</h2>';  // expect: SEC105
}

window.addEventListener('load', renderWelcome);
window.addEventListener('hashchange', showTab);

/* global $, document, window */
(function () {
  const API_KEY = 'AIzaSyD4xM1c9bQ2uF7kZ3pW8vR5tY6nL0eJ2hGq'; // expect: SEC112

  function getParam(name) {
    const params = new URLSearchParams(window.location.search);
    return params.get(name);
  }

  function renderGreeting() {
    const name = getParam('name') || 'friend';
    document.getElementById('greeting').innerHTML = 'Hello, ' + name; // expect: SEC105
  }

  function renderCount(items) {
    document.getElementById('count').innerHTML = `<b>${items.length}</b> items`;
  }

  function renderTitle() {
    document.title = getParam('title');
    document.getElementById('title').textContent = getParam('title');
  }

  function loadWidget() {
    const config = getParam('widget');
    eval('window.widgetConfig = ' + config); // expect: SEC101
  }

  function scheduleNotice(msg) {
    setTimeout(function () {
      $('#notice').text(msg);
    }, 2000);
  }

  function nonce() {
    return Math.random().toString(36).slice(2); // expect: SEC109
  }

  function confetti() {
    const x = Math.random() * window.innerWidth;
    return { x, hue: Math.floor(Math.random() * 360) };
  }

  renderGreeting();
  renderCount([]);
  renderTitle();
  loadWidget();
  scheduleNotice('Saved');
  window.requestNonce = nonce;
  window.confetti = confetti;
})();

const params = new URLSearchParams(window.location.search);
const message = params.get('msg');
document.getElementById('banner').innerHTML = message; // expect: SEC105

const hash = decodeURIComponent(location.hash.slice(1));
document.write('<div>' + hash + '</div>'); // expect: SEC105

function showReferrer(el) {
  el.insertAdjacentHTML('beforeend', `<a href="${document.referrer}">back</a>`); // expect: SEC105
}

showReferrer(document.body);

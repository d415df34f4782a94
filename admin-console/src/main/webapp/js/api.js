// The console's REST API: every call is JSON, and an error answer carries {"error": "..."}.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Calls the API; a 401 also tells the app to show the login. */
export async function api(method, path, body) {
  const options = {method, credentials: 'same-origin', headers: {'Accept': 'application/json'}};
  if (body !== undefined) {
    options.headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch('api/' + path, options);
  } catch (e) {
    throw new ApiError(0, 'the console does not answer: ' + e.message);
  }
  if (response.status === 204) return null;
  let answer = null;
  const text = await response.text();
  if (text) {
    try { answer = JSON.parse(text); } catch (e) { answer = {error: text}; }
  }
  if (!response.ok) {
    const message = answer && answer.error ? answer.error : response.status + ' ' + response.statusText;
    if (response.status === 401 && path !== 'session') {
      window.dispatchEvent(new CustomEvent('strand:login', {detail: message}));
    }
    throw new ApiError(response.status, message);
  }
  return answer;
}

export const get = path => api('GET', path);
export const post = (path, body) => api('POST', path, body === undefined ? {} : body);
export const del = path => api('DELETE', path);

export function destinationPath(type, name) {
  return 'destinations/' + type + '/' + encodeURIComponent(name);
}

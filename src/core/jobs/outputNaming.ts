
/** A short, file-name-safe slug of a prompt: ASCII words, lower case, at most `max` characters. */
export function slugify(text: string, max = 40): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const cut = slug.length > max ? slug.slice(0, max).replace(/-[^-]*$/, '') || slug.slice(0, max) : slug;
  return cut.replace(/-+$/g, '') || 'video';
}

/** The last seven safe characters of a server id (`video_01K…3919V5P` → `3919v5p`). */
export function idTail(id: string): string {
  const safe = id.toLowerCase().replace(/[^a-z0-9]/g, '');
  return safe.slice(-7) || 'job';
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** `20261124-153012-ocean-waves-3919v5p` (local time). */
export function outputBaseName(createdAt: number, prompt: string, id: string): string {
  const d = new Date(createdAt);
  const stamp = `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
  return `${stamp}-${slugify(prompt)}-${idTail(id)}`;
}

export function sidecarPathFor(videoPath: string): string {
  return videoPath.replace(/\.[^./\\]+$/, '') + '.json';
}

/** A value Moodle's REST server takes: scalars, and lists and structures of them. */
export type MoodleValue = string | number | boolean | null | undefined | readonly MoodleValue[] | { readonly [key: string]: MoodleValue }

/**
 * `params` as Moodle's REST protocol reads them from a form body: a list becomes `name[0]=…`,
 * `name[1]=…`, a structure `name[key]=…`, nested as deep as they go (`plugindata[assignfeedbackcomments_editor][text]`);
 * booleans are 1 and 0, and absent values are left out.
 */
export function restParameters(params: Readonly<Record<string, MoodleValue>>, into = new URLSearchParams()): URLSearchParams {
  const add = (name: string, value: MoodleValue): void => {
    if (value === null || value === undefined) return
    if (typeof value === 'boolean') into.append(name, value ? '1' : '0')
    else if (typeof value === 'string' || typeof value === 'number') into.append(name, String(value))
    else if (Array.isArray(value)) value.forEach((item, index) => add(`${name}[${index}]`, item))
    else for (const [key, item] of Object.entries(value)) add(`${name}[${key}]`, item)
  }
  for (const [name, value] of Object.entries(params)) add(name, value)
  return into
}

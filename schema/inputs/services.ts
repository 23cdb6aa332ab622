import { z } from 'zod'

const id = z.number().int().positive()

/** The services a client can reach through the service events, by the original's names. */
export const serviceNames = ['NLPService', 'BackgroundTaskService'] as const
export type ServiceName = (typeof serviceNames)[number]

const service = z.enum(serviceNames)
/** What a service gets besides its name; each service checks the shape it needs itself. */
const serviceData = z.record(z.string().max(100), z.json()).optional()

/** `serviceConnect` / `serviceDisconnect` / `serviceRequest`: `{service, data}`. */
export const serviceInput = z.strictObject({ service, data: serviceData })

/** `serviceCommand`: `{service, command, data}`. */
export const serviceCommandInput = z.strictObject({ service, command: z.string().min(1).max(100), data: serviceData })

/**
 * An entry of a skill request's `data` that the server replaces by what it names, once the caller
 * is found to may read it: a document's file (base64), a submission's files by type, a
 * configuration's content.
 */
export const serviceReplacement = z.strictObject({
  type: z.literal('serviceReplacement'),
  input: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('document'), documentId: id }),
    z.strictObject({ type: z.literal('submission'), submissionId: id }),
    z.strictObject({ type: z.literal('configuration'), configurationId: id }),
  ]),
})
export type ServiceReplacement = z.infer<typeof serviceReplacement>

/** The most entries a skill request's `data` may have. */
export const maxSkillInputs = 50

/** `serviceRequest` of the NLP service: run skill `name` on `data`; the results come back as `serviceRefresh` `skillResults` with this `id`. */
export const skillRequestInput = z.strictObject({
  id: z.string().min(1).max(100),
  name: z.string().min(1).max(200),
  data: z.record(z.string().max(100), z.json()).refine((data) => Object.keys(data).length <= maxSkillInputs, `at most ${maxSkillInputs} inputs`),
})

/** `serviceCommand` `skillGetConfig` of the NLP service. */
export const skillConfigInput = z.strictObject({ name: z.string().min(1).max(200) })

/** The most items (documents or submissions) one background task may go through. */
export const maxBackgroundItems = 1000

/**
 * One input of a background task's skill: the documents or submissions it goes through (exactly
 * one input of the task is such a selection), one configuration for every item, or a value.
 */
const backgroundInput = z.union([
  z.strictObject({ table: z.enum(['document', 'submission']), ids: z.array(id).min(1).max(maxBackgroundItems) }),
  z.strictObject({ table: z.literal('configuration'), id }),
  z.strictObject({ value: z.json() }),
])

/**
 * `serviceCommand` `startPreprocessing` of the background task service (admins): applies `skill`
 * to every selected document or submission, storing each result field `f` in `document_data`
 * under `nlpRequest_<skill>_<f>` of the document (of a submission: its document of `baseFileType`,
 * else its first), reporting progress under `progressId`.
 */
export const backgroundTaskStartInput = z
  .strictObject({
    skill: z.string().min(1).max(200),
    inputs: z.record(z.string().min(1).max(100), backgroundInput).refine((inputs) => Object.keys(inputs).length <= maxSkillInputs, `at most ${maxSkillInputs} inputs`),
    baseFileType: z.number().int().min(0).max(10).optional(),
    progressId: z.string().max(200).optional(),
  })
  .refine((task) => Object.values(task.inputs).filter((input) => 'ids' in input).length === 1, {
    message: 'exactly one input must select the documents or submissions to go through',
    path: ['inputs'],
  })

export const serviceEventInputs = {
  serviceConnect: serviceInput,
  serviceDisconnect: serviceInput,
  serviceRequest: serviceInput,
  serviceCommand: serviceCommandInput,
}

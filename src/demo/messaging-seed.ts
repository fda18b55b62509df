import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { AppContext } from '../app/index.ts';
import { patientAddress, receiveInbound } from '../messaging/index.ts';
import { demoPerson } from './principals.ts';

/** Dr Claire Martin, the demo's GP (src/demo/professionals.ts). */
const DEMO_GP_ADDRESS = 'dr.martin@cabinet.mssante.fr';

/**
 * A message Marie Morel has not read yet, from her GP through MSSanté (the gateway's own path): the home shows
 * it on `npm start`. Idempotent: only into an empty mailbox.
 */
export async function seedDemoMessages(ctx: AppContext): Promise<void> {
  const marie = await demoPerson(ctx, 'marie');
  const any = await ctx.db
    .selectFrom('mss_messages')
    .select('id')
    .where('patient_id', '=', marie.id)
    .executeTakeFirst();
  if (any) return;
  const to = patientAddress(marie.ins, ctx.config.patientMailDomain);
  const raw = await new MailComposer({
    from: `Dr Claire MARTIN <${DEMO_GP_ADDRESS}>`,
    to,
    subject: 'Votre prochain bilan de suivi',
    messageId: '<demo-suivi-marie-morel@cabinet.mssante.fr>',
    date: new Date(ctx.clock.now().getTime() - 86_400_000),
    text:
      'Bonjour Madame Morel,\n\nVotre dernière HbA1c est stable. Pensez à faire le prochain bilan sanguin ' +
      'avant notre rendez-vous, ainsi que vos dépistages (sein et côlon) qui sont à programmer.\n\n' +
      'Bien cordialement,\nDr Claire Martin',
  })
    .compile()
    .build();
  await receiveInbound(ctx, { envelopeFrom: DEMO_GP_ADDRESS, recipients: [to], raw });
}

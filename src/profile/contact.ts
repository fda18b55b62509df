import type { AppContext } from '../app/index.ts';
import { authorize, type PatientPrincipal } from '../access/index.ts';
import { appendAudit } from '../audit/index.ts';
import { trace } from '../guard/index.ts';
import { findInsuredById, type InsuredPerson } from '../insured/index.ts';
import { confirmCurrentPassword, maskEmail } from '../auth/index.ts';
import { enqueueEmail } from '../mail/index.ts';
import { invalid, notFound } from '../shared/index.ts';
import { EMAIL_CHANGED_SUBJECT, emailChangedEmail } from './messages.ts';

/** Contact details as typed by the person; the e-mail is required (one-time codes go there). */
export function normalizeContact(input: { email: string; phone?: string | null }) {
  const email = input.email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254)
    throw invalid('email-invalid', 'L’adresse électronique n’est pas valide.', 'email');
  const phone = (input.phone ?? '').replace(/[\s.()-]/g, '');
  if (phone !== '' && !/^\+?\d{9,15}$/.test(phone))
    throw invalid('phone-invalid', 'Le numéro de téléphone n’est pas valide.', 'phone');
  return { email, phone: phone === '' ? null : phone };
}

/**
 * Changes the contact details. A new e-mail address (where one-time codes go: whoever holds it can sign in)
 * needs the current password, and the previous address is told, so that a hijack cannot go unnoticed.
 */
export async function updateContact(
  ctx: AppContext,
  principal: PatientPrincipal,
  input: { email: string; phone?: string | null; currentPassword?: string | undefined },
): Promise<InsuredPerson> {
  authorize(principal, { type: 'profile.manage', patientId: principal.patientId });
  const contact = normalizeContact(input);
  const before = await findInsuredById(ctx.db, principal.patientId);
  if (!before) throw notFound();
  const previousEmail = before.email;
  const emailChanges = contact.email !== previousEmail;
  if (emailChanges) await confirmCurrentPassword(ctx, principal.patientId, input.currentPassword);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('patients')
      .set({ ...contact, updated_at: now.toISOString() })
      .where('id', '=', principal.patientId)
      .execute();
    // Which details changed, never the details themselves.
    const detail = { email: emailChanges, phone: contact.phone !== before.phone };
    const input = trace(principal, principal.patientId, 'contact-change', 'success', {
      targetType: 'Patient',
      targetId: principal.patientId,
      detail,
    });
    await appendAudit(trx, input, now);
    if (emailChanges && previousEmail) {
      const notice = {
        to: previousEmail,
        subject: EMAIL_CHANGED_SUBJECT,
        text: emailChangedEmail(maskEmail(contact.email), ctx.config.baseUrl),
        patientId: principal.patientId,
      };
      await enqueueEmail(ctx.config, trx, notice, now);
    }
  });
  const person = await findInsuredById(ctx.db, principal.patientId);
  if (!person) throw notFound();
  return person;
}
